"""Adapters that run other libraries' transforms inside augsynth pipelines."""
