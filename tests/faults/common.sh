# SPDX-License-Identifier: GPL-3.0-or-later
# Shared by tests/faults/kills.sh and disk.sh (sourced; expects $top and $config).

# Runs the fault program (tests/CtdbPcmk.Faults, built with the solution).
faults_bin() {
    local dll=$top/tests/CtdbPcmk.Faults/bin/$config/net10.0/ctdbpcmk-faults.dll
    [ -f "$dll" ] || { echo "not built: $dll (make build)" >&2; return 1; }
    dotnet "$dll" "$@"
}

# faults_results OUT TITLE COMMAND FRAGMENT: the results file, with what produced it.
faults_results() {
    local out=$1 title=$2 command=$3 frag=$4
    mkdir -p "$(dirname "$out")"
    {
        echo "# $title"
        echo
        echo "Command: \`$command\` (from \`make faults\`)"
        echo
        echo "Run: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo unknown)," \
            "$(nproc) cores, load average at the end $(cut -d' ' -f1-3 /proc/loadavg);" \
            "ctdb-pcmkd: ${CTDBPCMK_DAEMON:-the Release build}; ctdbd: Debian ctdb $(dpkg-query -W -f='${Version}' ctdb 2>/dev/null)"
        echo
        if [ -s "$frag.table" ]; then
            echo "| daemon | kills (leader, commit in flight) | commits issued | acked | failed/unknown | hung commits | final commits failed | keys checked | lost | resurrected | stale | copies differ | status problems | tdbtool failures | recovery after kill (median/max) | rejoin (median/max) | duration | verdict |"
            echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
            cat "$frag.table"
            echo
        fi
        cat "$frag"
    } > "$out"
    rm -f "$frag.table"
    echo "wrote $out"
}
