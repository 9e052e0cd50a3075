"""Writes for surveys, one module per concern; import each service from its module:

- `building`: the builder (surveys from templates, sections, questions, reordering,
  archiving, opening and closing);
- `dispatch`: invitations, the hourly sweep (invitations, the one reminder, closing);
- `answering`: saving answers as the person goes, and submitting them.
"""
