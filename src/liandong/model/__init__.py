"""Stage 3: the model. Valid records as items with their relations, the vocabulary that is not a
schema fact, what the public may see, derived status and today's date."""
