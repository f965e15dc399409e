"""The world as data: instruments, their status on a date, parties and how each takes part, what binds in a
jurisdiction, and who stands where across instruments. Queries only: report/ and the commands render them."""
