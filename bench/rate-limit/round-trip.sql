-- The cheapest round trip, to tell the bucket statement's own work from the network and scheduling around it.
SELECT 1;
