#!/bin/sh
# Rules a compiler cannot see (curl's checksrc): the library never prints or exits, src/
# only includes the public headers, basenames are unique across lib/.
set -eu
cd "$(dirname "$0")/.."
fail=0
bad=$(grep -nE '\b(printf|fprintf|puts|fputs|perror|exit|abort)\s*\(' lib/*/*.c lib/*.c 2>/dev/null \
      | grep -vE 'snprintf|vsnprintf|asprintf|vasprintf|fprintf\(f,|fputs\([^,]*, *f\)|hull-allow-print' || true)
if [ -n "$bad" ]; then echo "check-src: the library must not print or exit:"; echo "$bad"; fail=1; fi
bad=$(grep -nE '#include "(core|stream|source|layer|analyzer|inventory|version|vulndb|match|lint|report|registry)/' src/*.c 2>/dev/null || true)
if [ -n "$bad" ]; then echo "check-src: src/ may include only include/hull/ headers:"; echo "$bad"; fail=1; fi
dups=$(find lib -name '*.c' -printf '%f\n' | sort | uniq -d)
if [ -n "$dups" ]; then echo "check-src: duplicate basenames in lib/: $dups"; fail=1; fi
exit $fail
