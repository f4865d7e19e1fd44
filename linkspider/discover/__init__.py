"""Where prospects come from (the first stage): niche profiles and seed lists, search-operator footprints, search backends, backlink exports."""
