// Registers the subcommands that need the rest of the application (devnet, database, agents); see main.ts.
export {};
