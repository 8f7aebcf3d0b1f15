# Stable entry points of the project. See README.md.
SHELL := /bin/bash
DOTNET ?= dotnet
CONFIG ?= Release
SLN := CtdbPcmk.sln
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE := 1

.PHONY: all deps build test bench faults faults-box clean ocf-root daemon-aot rpm demo demo-down fuzz fuzz-live

all: build

deps:
	packaging/install-deps.sh

build:
	$(DOTNET) build $(SLN) -c $(CONFIG) -nologo -v q

# All tests: unit, vectors, conformance with the real ctdb tool and smbd, integration; the
# conformance and cluster tests once more against the packaged Native AOT daemon; the RPMs
# installed into a scratch root (tests/CtdbPcmk.Packaging.Tests).
test: deps build rpm
	CTDBPCMK_RPM_DIR=$(CURDIR)/artifacts/rpm/$(shell uname -m) \
	CTDBPCMK_AOT_DAEMON=$(CURDIR)/artifacts/rpm/stage/ctdb-pcmkd \
	tests/run-tests $(CONFIG)

# Side-by-side benchmarks against the real ctdbd 4.17 and the stock shell agents (failover on the
# 3-node cluster in a box included); writes tests/bench/results/.
bench: deps build
	tests/bench/run $(CONFIG)
	tests/bench/daemon-aot.sh $(CONFIG)
	tests/bench/agents-bench.sh $(CONFIG)
	tests/bench/samba-bench.sh $(CONFIG)
	tests/bench/failover.sh $(CONFIG)
	tests/bench/smb-failover.sh $(CONFIG)
	tests/bench/nfs-failover.sh $(CONFIG)
	tests/bench/conntrack-bench.sh $(CONFIG)

# Fault suite, part 1 (local clusters, ctdb-pcmkd and real ctdbd 4.17 side by side): 100 SIGKILLs
# per daemon during persistent and replicated transactions, then full and read-only file systems
# under a node's databases; writes tests/faults/results/kills.md and disk.md.
faults: deps build
	tests/faults/kills.sh $(CONFIG)
	tests/faults/disk.sh $(CONFIG)
	$(MAKE) faults-box

# Coverage-guided fuzzing (afl++ through SharpFuzz, tests/fuzz/afl.sh) of the default harness
# targets for FUZZ_SECONDS each; crashes and hangs land in tests/CtdbPcmk.Fuzz/regressions/.
# Then the live fuzzer (fuzz-live).
FUZZ_SECONDS ?= 300
FUZZ_PACKETS ?= 1000000
fuzz: deps build
	tests/fuzz/afl.sh $(FUZZ_SECONDS)
	$(MAKE) fuzz-live

# FUZZ_PACKETS mutated packets through the client socket and node port of our daemon (Native
# AOT; bounds on liveness, RssAnon and descriptors) and of the real ctdbd 4.17, side by side:
# artifacts/fuzz/live.txt.
fuzz-live: deps build
	tests/fuzz/live.sh $(FUZZ_PACKETS) both

# Fault suite, part 2, on the Pacemaker box: partitions and hung daemons (ours), a hung ctdbd 4.17 leader
# alongside; writes tests/faults/results/box.md (FAULTBOX_ROUNDS=N rounds per scenario, default 3).
faults-box: deps build
	tests/faults/box-faults.sh $(CONFIG)

# Agents as an OCF root: DESTDIR/resource.d/ctdb/<agent>, for OCF_ROOT=DESTDIR.
ocf-root:
	agents/install-ocf-root.sh $(or $(DESTDIR),$(CURDIR)/artifacts/ocf-root) $(CONFIG)

# The daemon as a Native AOT executable (no .NET runtime needed): artifacts/daemon-aot/ctdb-pcmkd.
daemon-aot:
	packaging/publish-daemon-aot.sh $(CURDIR)/artifacts/daemon-aot $(CONFIG)

# RPMs for RHEL 9 and rebuilds (ctdb-pcmk, ctdb-pcmk-agents) from the Native AOT executables,
# checked with rpmlint: artifacts/rpm/<arch>/*.rpm.
rpm:
	packaging/build-rpm.sh $(CURDIR)/artifacts/rpm $(CONFIG)

# Main job: a 3-node Pacemaker cluster in namespaces running the daemon clone and two VIPs.
# (tests/pcmk-box builds what it runs: the agents and the daemon, published into an OCF root.)
demo: deps
	tests/demo up

demo-down:
	tests/demo down

clean:
	$(DOTNET) clean $(SLN) -c $(CONFIG) -nologo -v q
