"""Synthetic, deliberately dirty customer data with exact ground truth."""

__version__ = "0.1.0"
