CREATE TABLE `reward_totals` (
	`scope` text PRIMARY KEY NOT NULL,
	`total` text NOT NULL
);
