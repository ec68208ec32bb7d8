#!/bin/sh
# Runs inside the booted container (smoke-check.service); writes /smoke/out/report, one
# PASS/FAIL line per check with what was seen.
out=/smoke/out
report="$out/report"
: > "$report"
pass() { echo "PASS $*" >> "$report"; }
fail() { echo "FAIL $*" >> "$report"; }
check() { # description, then a command: PASS when it succeeds
    what="$1"; shift
    if "$@" >> "$out/check.log" 2>&1; then pass "$what"; else fail "$what"; fi
}
wait_for() { # seconds, then a command
    limit="$1"; shift
    i=0
    while [ "$i" -lt "$limit" ]; do "$@" >/dev/null 2>&1 && return 0; sleep 1; i=$((i + 1)); done
    return 1
}
public=/var/cache/tidings/public

echo "systemd $(systemctl --version | head -n 1 | cut -d' ' -f2), $(tidings --version)" >> "$report"

# Readiness: Type=notify is active only after READY=1.
if wait_for 60 systemctl is-active --quiet tidings; then
    pass "readiness: active after READY=1 ($(systemctl show -p ActiveEnterTimestamp --value tidings | cut -d' ' -f2-3)); status: $(systemctl show -p StatusText --value tidings)"
else
    fail "readiness: tidings is $(systemctl is-active tidings)"
    # What went wrong, for the report's reader: the unit's own account, then the daemon run by hand.
    systemctl status tidings --no-pager -l > "$out/status.txt" 2>&1
    timeout 5 /usr/bin/tidings run --config /etc/tidings/tidings.toml --no-serve > "$out/direct.log" 2>&1
fi
check "enabled on installation (postinst)" systemctl is-enabled --quiet tidings

# A refresh of the loopback source, asked of the daemon by `tidings refresh` (which reads
# /etc/tidings/tidings.toml for the state folder and finds daemon.json there).
refresh="$(tidings refresh loopback 2>&1)"
echo "$refresh" >> "$out/check.log"
entries="$(grep -o '<entry[ >]' "$public/loopback.atom" 2>/dev/null | wc -l)"
if echo "$refresh" | grep -q 'Asking the daemon at http://127.0.0.1:8080' && [ "$entries" -eq 4 ]; then
    pass "refresh of a loopback source through the daemon: $entries entries; $(echo "$refresh" | tail -n 1)"
else
    fail "refresh of a loopback source: $entries entries; $refresh"
fi
check "the feed is served on 127.0.0.1:8080 with an ETag" sh -c "curl -sfI http://127.0.0.1:8080/loopback.atom | grep -qi '^etag:'"

# A render = true source: the daemon starts Chromium inside its own unit and confinement.
chromium_pids() { # every process of /usr/lib/chromium/chromium, one a line
    for dir in /proc/[0-9]*; do
        [ "$(readlink "$dir/exe" 2>/dev/null)" = /usr/lib/chromium/chromium ] && echo "${dir#/proc/}"
    done
}
field() { sed -n "s/^$2:[[:space:]]*//p" "/proc/$1/status"; } # pid, /proc/PID/status field
if [ -x /usr/lib/chromium/chromium ]; then
    running_before="$(chromium_pids | wc -l)"
    render_started="$(date +%s%N)"
    rendered="$(tidings refresh gazette 2>&1)"
    render_ms=$(( ($(date +%s%N) - render_started) / 1000000 ))
    echo "$rendered" >> "$out/check.log"
    rendered_entries="$(grep -o '<entry[ >]' "$public/gazette.atom" 2>/dev/null | wc -l)"
    if [ "$rendered_entries" -eq 1 ] && grep -q 'the first crossing of the day leaves twenty minutes later' "$public/gazette.atom"; then
        pass "render = true source under the unit: the script-built listing gave its links and the script-built article its text, $rendered_entries entry, ${render_ms} ms ($running_before Chromium processes before); $(echo "$rendered" | grep 'gazette:')"
    else
        fail "render = true source under the unit: $rendered_entries entries; $rendered"
        journalctl -u tidings --no-pager -o cat | grep -i 'gazette\|render\|chromium' | tail -n 20 >> "$out/check.log"
    fi
    # What holds the browser, read from /proc while it runs (it stops after five idle minutes).
    daemon="$(systemctl show -p MainPID --value tidings)"
    browser=""
    for pid in $(chromium_pids); do [ "$(awk '{print $4}' "/proc/$pid/stat")" = "$daemon" ] && browser="$pid"; done
    if [ -n "$browser" ]; then
        # Chromium rewrites its browser process's title into one string: split on spaces too.
        flags="$(tr '\0 ' '\n\n' < "/proc/$browser/cmdline" | grep -E '^--(js-flags|no-sandbox|proxy-server|proxy-bypass-list|host-resolver-rules|disable-quic|force-webrtc)' | tr '\n' ' ')"
        pss=0
        for pid in $(chromium_pids); do
            kib="$(sed -n 's/^Pss:[[:space:]]*\([0-9]*\).*/\1/p' "/proc/$pid/smaps_rollup" 2>/dev/null)"
            pss=$((pss + ${kib:-0}))
        done
        same_net=no; [ "$(readlink "/proc/$browser/ns/net")" = "$(readlink "/proc/$daemon/ns/net")" ] && same_net=yes
        same_user=no; [ "$(readlink "/proc/$browser/ns/user")" = "$(readlink "/proc/$daemon/ns/user")" ] && same_user=yes
        echo "renderer confinement (measured): browser pid $browser, child of the daemon $daemon; $(chromium_pids | wc -l) Chromium processes; uid $(field "$browser" Uid | cut -f1) (the daemon's $(field "$daemon" Uid | cut -f1)); cgroup $(grep 'tidings' "/proc/$browser/cgroup" | head -n 1 | cut -d: -f3); NoNewPrivs $(field "$browser" NoNewPrivs); Seccomp $(field "$browser" Seccomp) ($(field "$browser" Seccomp_filters) filters); CapEff $(field "$browser" CapEff), CapBnd $(field "$browser" CapBnd); network namespace the daemon's: $same_net; user namespace the daemon's: $same_user; flags: $flags" >> "$report"
        echo "renderer memory (measured): Chromium PSS $((pss / 1024)) MiB over its processes; unit MemoryCurrent $(systemctl show -p MemoryCurrent --value tidings), TasksCurrent $(systemctl show -p TasksCurrent --value tidings)" >> "$report"
        case "$flags" in
            *--js-flags=--jitless*--no-sandbox*) pass "Chromium runs with --js-flags=--jitless (MemoryDenyWriteExecute=yes seen) and --no-sandbox, as the daemon's user in the daemon's cgroup" ;;
            *) fail "Chromium's flags: $flags" ;;
        esac
    else
        fail "no Chromium process under the daemon after the render refresh: $(chromium_pids | tr '\n' ' ')"
    fi
    warm_started="$(date +%s%N)"
    tidings refresh gazette >> "$out/check.log" 2>&1
    echo "render refresh times (listing rendered, article rendered unless stored): first ${render_ms} ms, again $(( ($(date +%s%N) - warm_started) / 1000000 )) ms with the browser running" >> "$report"
else
    fail "render = true source: no /usr/lib/chromium/chromium in the smoke root"
fi

# /etc/tidings/tidings.toml honoured: allow_private_networks let the loopback source through
# (above), base_url makes the self link, log_level and the folders come from it too.
if grep -q 'href="http://feeds.smoke.example/loopback.atom"' "$public/loopback.atom"; then
    pass "tidings.toml honoured: base_url in the self link, allow_private_networks, folders /var/lib/tidings and /var/cache/tidings/public"
else
    fail "tidings.toml honoured: no self link under base_url in $public/loopback.atom"
fi
check "the packaged offline sample gives a feed" sh -c "tidings refresh sample >/dev/null; grep -q '<entry>' $public/sample.atom"

# The failing source, refreshed now rather than at its scheduled time.
tidings refresh gone >> "$out/check.log" 2>&1
status="$(tidings status 2>&1)"
echo "$status" >> "$out/check.log"
first="$(echo "$status" | sed -n 2p)"
case "$first" in
    "  gone"*FAILING*) pass "tidings status lists the failing source first: $(echo "$status" | head -n 1)" ;;
    *) fail "tidings status: $status" ;;
esac

# Journal: priorities from the <N> prefixes, no timestamps, no thread-priority noise.
warnings="$(journalctl -u tidings -p warning --no-pager -o cat)"
if echo "$warnings" | grep -q 'refresh failed.*source.id=gone'; then
    pass "journalctl -p warning shows the failing source: $(echo "$warnings" | grep 'source.id=gone' | head -n 1)"
else
    fail "journalctl -p warning: $warnings"
fi
noise="$(journalctl -u tidings --no-pager -o cat | grep -c 'Failed to set thread priority')"
[ "$noise" -eq 0 ] && pass "no 'Failed to set thread priority' lines" || fail "$noise 'Failed to set thread priority' lines"
stamped="$(journalctl -u tidings --no-pager -o cat | grep -cE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T')"
[ "$stamped" -eq 0 ] && pass "journal lines carry no timestamp of their own" || fail "$stamped journal lines start with a timestamp"
info="$(journalctl -u tidings -p info..info --no-pager -o cat | wc -l)"
[ "$info" -gt 0 ] && pass "info lines arrive at priority 6 ($info lines), warnings at 4" || fail "no lines at priority 6"

# systemctl reload: a new feeds file becomes a feed without a restart.
pid_before="$(systemctl show -p MainPID --value tidings)"
cp /etc/tidings/feeds/loopback.toml /etc/tidings/feeds/second.toml
systemctl reload tidings
if wait_for 60 sh -c "curl -sf http://127.0.0.1:8080/status.json | grep -q '\"second\"'" \
    && [ "$(systemctl show -p MainPID --value tidings)" = "$pid_before" ]; then
    pass "systemctl reload: the new source is scheduled, same process ($pid_before)"
else
    fail "systemctl reload: $(curl -s http://127.0.0.1:8080/status.json | head -c 400)"
fi

# Watchdog: a frozen daemon stops pinging; systemd kills and restarts it.
restarts_before="$(systemctl show -p NRestarts --value tidings)"
if [ "${pid_before:-0}" -le 1 ]; then
    fail "watchdog: no running daemon to freeze"
elif kill -STOP "$pid_before" && frozen_at="$(date +%s)" && wait_for 150 sh -c "[ \"\$(systemctl show -p NRestarts --value tidings)\" -gt $restarts_before ] && systemctl is-active --quiet tidings"; then
    pass "watchdog: frozen pid $pid_before replaced by pid $(systemctl show -p MainPID --value tidings) after $(( $(date +%s) - frozen_at )) s (WatchdogSec=$(systemctl show -p WatchdogUSec --value tidings))"
else
    fail "watchdog: NRestarts $(systemctl show -p NRestarts --value tidings), state $(systemctl is-active tidings)"
    kill -CONT "$pid_before" 2>/dev/null
fi

# systemctl stop within TimeoutStopSec, cleanly.
wait_for 60 systemctl is-active --quiet tidings
stop_started="$(date +%s%N)"
systemctl stop tidings
stop_ms=$(( ($(date +%s%N) - stop_started) / 1000000 ))
result="$(systemctl show -p Result --value tidings)"
code="$(systemctl show -p ExecMainStatus --value tidings)"
if [ "$result" = success ] && [ "$stop_ms" -lt 20000 ]; then
    pass "systemctl stop: ${stop_ms} ms (TimeoutStopSec=20s), result $result, exit status $code"
else
    fail "systemctl stop: ${stop_ms} ms, result $result, exit status $code"
fi
check "daemon.json removed on a clean stop" sh -c "! test -e /var/lib/tidings/daemon.json"

echo "unit exposure: $(systemd-analyze security tidings --no-pager 2>/dev/null | tail -n 1)" >> "$report"
journalctl -u tidings --no-pager -o short-precise > "$out/journal.txt" 2>&1
