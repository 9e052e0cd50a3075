"""The network's annual report: one selector (`selectors.annual_report`) computes every
figure from the records; `renderers` only format it as JSON, HTML or PDF."""
