"""The six-lens review: a yearly self-review of the network (or of one hub) against the
six contextual lenses, with ratings, commentary, evidence, agreed actions and the
steering group's comments, compared year on year."""
