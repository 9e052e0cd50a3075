"""The network programme: networks, hubs and clusters, the membership year and its
review (`membership/`), and the network's own pages (role homes, the directory).
It may read `trusts` and the platform; never `events` or `impact`."""
