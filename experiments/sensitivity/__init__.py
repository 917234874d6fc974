"""Sensitivity analysis: declared uncertainties, Morris, Sobol, tornado, scenario discovery."""
