#!/bin/sh
# Differential test: `hull version compare maven` against Maven's own ComparableVersion
# (Debian's maven-artifact jar, run by a small Java driver) on the versions of
# tests/data/version/maven.txt plus thousands of generated ones (numbers of every size,
# known and unknown qualifiers in mixed case, '.', '-' and digit/letter transitions, empty
# items). hull sorts them all; every adjacent pair and random pairs are then checked.
. "$(dirname "$0")/lib.sh"
JAR=$(ls /usr/share/java/maven-artifact-3*.jar /usr/share/java/maven-artifact.jar 2>/dev/null | head -1)
if [ -z "$JAR" ] || ! command -v javac >/dev/null 2>&1 || ! command -v java >/dev/null 2>&1; then
    echo "1..0 # SKIP java, javac or maven-artifact (libmaven3-core-java) is not installed"
    exit 0
fi
cat > "$TMP/MvnCmp.java" <<'JAVA'
import org.apache.maven.artifact.versioning.ComparableVersion;
import java.io.*;
public class MvnCmp {
    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, "UTF-8"));
        PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out, "UTF-8")));
        String ln;
        while ((ln = in.readLine()) != null) {
            String[] p = ln.split(" ", 2);
            int r = new ComparableVersion(p[0]).compareTo(new ComparableVersion(p[1]));
            out.println(r < 0 ? "<" : r > 0 ? ">" : "=");
        }
        out.flush();
    }
}
JAVA
javac -d "$TMP" -cp "$JAR" "$TMP/MvnCmp.java" 2>"$TMP/javac.err" || {
    echo "1..0 # SKIP javac failed: $(head -1 "$TMP/javac.err")"; exit 0; }
echo "# reference: $JAR"
# versions: the table's, then generated ones
sed -n 's/^\([^#!][^ ]*\) [<=>] \(.*\)$/\1\n\2/p' "$(dirname "$0")/../data/version/maven.txt" > "$TMP/v"
awk -v seed=3 'BEGIN {
    srand(seed)
    split("alpha a beta b milestone m rc cr snapshot ga final release sp foo jre android x RC SNAPSHOT Final GA Alpha SP M", q, " ")
    split("0 1 2 3 9 10 11 00 01 007 2147483647 2147483648 9999999999 123456789012345678 1234567890123456789 99999999999999999999999", num, " ")
    split(". . . - - -", sep, " ")
    for (k = 0; k < 6000; k++) {
        n = int(rand() * 6) + 1; v = ""
        for (i = 0; i < n; i++) {
            r = rand()
            if (r < 0.5) t = num[int(rand() * 16) + 1]
            else if (r < 0.8) t = q[int(rand() * 24) + 1]
            else t = q[int(rand() * 24) + 1] num[int(rand() * 5) + 1]
            if (i > 0) {
                r = rand()
                if (r < 0.08) s = ""
                else if (r < 0.12) s = ".."
                else if (r < 0.15) s = "-."
                else s = sep[int(rand() * 6) + 1]
                v = v s
            }
            v = v t
        }
        if (rand() < 0.05) v = v "-"
        if (rand() < 0.03) v = "-" v
        print v
    }
}' >> "$TMP/v"
sort -u "$TMP/v" > "$TMP/all"
nall=$(wc -l < "$TMP/all")
run 0 sh -c '"$0" version sort maven < "$1" > "$2"' "$HULL" "$TMP/all" "$TMP/sorted"
is "$(wc -l < "$TMP/sorted")" "$nall" "hull accepts all $nall versions"
awk -v seed=5 'BEGIN { srand(seed) } { s[NR] = $0 } END {
    for (i = 1; i < NR; i++) print s[i], s[i + 1]
    for (k = 0; k < 20000; k++) { i = int(rand() * NR) + 1; j = int(rand() * NR) + 1; print s[i], s[j] }
}' "$TMP/sorted" > "$TMP/pairs"
npairs=$(wc -l < "$TMP/pairs")
run 0 sh -c '"$0" version compare maven - < "$1" > "$2"' "$HULL" "$TMP/pairs" "$TMP/hull.out"
java -cp "$JAR:$TMP" MvnCmp < "$TMP/pairs" > "$TMP/ref.out"
is "$(wc -l < "$TMP/ref.out")" "$npairs" "maven-artifact answered every pair"
paste -d ' ' "$TMP/pairs" "$TMP/hull.out" "$TMP/ref.out" | awk '$3 != $4' > "$TMP/diff"
ndiff=$(wc -l < "$TMP/diff")
echo "# maven: checked $npairs pairs ($nall versions), $ndiff disagreements"
[ "$ndiff" -eq 0 ] && pass "0 disagreements with ComparableVersion over $npairs pairs" ||
    fail "$ndiff disagreements with ComparableVersion" "$(head -20 "$TMP/diff")"
done_testing
