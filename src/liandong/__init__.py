"""Liandong (联动): a Git-based registry of the zone's and the city's coordination work."""

__version__ = "0.1.0"
