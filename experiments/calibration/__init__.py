"""Calibration and validation against the Dutch targets."""
