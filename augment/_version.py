"""The version of the augsynth distribution (both import packages, augment and synth)."""

__version__ = "0.2.0.dev0"
