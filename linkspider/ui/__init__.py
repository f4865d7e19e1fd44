"""The browser UI: ``linkspider ui`` runs Datasette with the linkspider plugin (``plugin.py``) over the database."""
