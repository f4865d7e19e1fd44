"""Only for `scrapyd-deploy`, which builds an egg with `python setup.py bdist_egg` and would otherwise
write a setup.py of its own into the checkout. Everything is declared in pyproject.toml."""

from setuptools import setup

setup()
