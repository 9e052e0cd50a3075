"""Dashboards and KPIs: the trust executive's dashboard, the coordinators' network
dashboard and the network's objectives. Every figure is computed from raw records
(bookings, attendance, memberships, and the visits, surveys, evidence and grants panels
as those land: `impact.dashboards.panels`), never typed in."""
