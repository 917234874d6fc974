"""The experiment layer: ensembles, design comparison, figures and the council brief."""
