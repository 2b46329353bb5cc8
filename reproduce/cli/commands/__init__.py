"""The commands of the CLI, one module each: ``configure(parser)`` adds the command's
options and ``execute(args) -> int`` runs it (`reproduce.cli.main` imports only the
module of the command given)."""
