"""The pull-request gate: a base version read from Git, compared record by record with the
working tree, judged by the base's rules, and summarised for reviewers."""
