#!/usr/bin/env bash
# Regenerates the examples in docs/output.md by running annals on the sample
# record (events/). Everything between the `examples:begin` and
# `examples:end` markers is replaced; nothing there is written by hand.
#
#   scripts/output-examples.sh            # uses target/debug/annals (builds it)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet
bin=target/debug/annals
doc=docs/output.md

example() {
    local lang=$1 shown="" a; shift
    for a in "$@"; do
        case $a in *" "*) shown+=" \"$a\"" ;; *) shown+=" $a" ;; esac
    done
    printf '```console\n$ annals%s\n```\n\n```%s\n' "$shown" "$lang"
    NO_COLOR=1 COLUMNS=100 "$bin" --dir events "$@"
    printf '```\n\n'
}

gen() {
    example text query --actor "Kim Yo-jong" --from 2024-01 --to 2024-03
    example text query --actor "Kim Yo-jong" --columns date,title,actors
    example text query --actor "Kim Yo-jong" --from 2024-01 --to 2024-03 --format ids
    example markdown query --actor "Kim Yo-jong" --from 2024-01 --to 2024-03 --format md
    example json query --actor "Kim Yo-jong" --kind statement --to 2024-02 --within --format json
    example json query --actor "Kim Yo-jong" --kind statement --format ndjson
    example csv query --actor "Kim Yo-jong" --kind statement --format csv
    example markdown timeline --actor japan --members --from 2024-02 --to 2024-02 --within --format md --title "Japan, February 2024"
    example text timeline --status scheduled
    example csv actors --format csv
}

tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
{
    sed -n '1,/<!-- examples:begin -->/p' "$doc"
    echo
    gen
    sed -n '/<!-- examples:end -->/,$p' "$doc"
} > "$tmp"
mv "$tmp" "$doc"
trap - EXIT
