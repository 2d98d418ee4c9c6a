#!/bin/sh
# The CLI frame: version, help, usage errors and their exit codes.
. "$(dirname "$0")/lib.sh"
run 0 "$HULL" --version
like "$OUT" '^hull [0-9]+\.[0-9]+\.[0-9]+$' "--version prints the version"
run 0 "$HULL" --help
like "$OUT" 'usage: hull' "--help prints usage"
run 2 "$HULL"
run 2 "$HULL" no-such-command
one_line_error "unknown command"
run 2 "$HULL" --bogus
one_line_error "unknown global option"
done_testing
