"""The impact room's models, gathered so Django registers them under the `impact` label;
each part keeps its models in its own sub-package (surveys/, evidence/, dashboards/)."""
