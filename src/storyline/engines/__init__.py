"""The engines that run the declared stages: ``local`` (worker processes) and ``spark``."""
