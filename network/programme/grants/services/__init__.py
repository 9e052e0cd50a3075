"""Every write of the innovation grants, by concern: `bids` (drafts, submission, the
head's endorsement by signed link), `reviews` (assigning the panel, scoring), `awards`
(award within budget under a row lock, decline, letters), `reports` (midpoint and
final outcome reports, the reminder sweep). Callers import from the module that holds
the function."""
