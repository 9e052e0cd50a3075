"""Tables that stack on a phone label each cell by its column (`data-label`); where a row's
cells come from a loop, `with_labels` pairs each value with its column's label."""

from django import template

register = template.Library()


@register.filter
def with_labels(values, labels):
    """`{% for value, label in row|with_labels:headers %}`: each value with its column."""
    return zip(values, labels, strict=False)
