"""Stage 4: history. What Git says about each record: the log reader, the incremental parser of
old versions, the events, the timeline readers see and links to the forge."""
