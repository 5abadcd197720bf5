"""Stage 5: the site. The pipeline that turns the model and history into pages, downloads, feeds
and indexes; the MkDocs plugin and the build that swaps a finished site into place."""
