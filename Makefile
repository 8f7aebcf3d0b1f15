# Stable entry points of the project. See README.md.
SHELL := /bin/bash
DOTNET ?= dotnet
CONFIG ?= Release
SLN := CtdbPcmk.sln
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE := 1

.PHONY: all deps build test bench clean ocf-root demo demo-down

all: build

deps:
	packaging/install-deps.sh

build:
	$(DOTNET) build $(SLN) -c $(CONFIG) -nologo -v q

# All tests: unit, vectors, conformance with the real ctdb tool and smbd, integration.
test: deps build
	tests/run-tests $(CONFIG)

# Side-by-side benchmarks against the real ctdbd 4.17 and the stock shell agents (failover on the
# 3-node cluster in a box included); writes tests/bench/results/.
bench: deps build
	tests/bench/run $(CONFIG)
	tests/bench/agents-bench.sh $(CONFIG)
	tests/bench/samba-bench.sh $(CONFIG)
	tests/bench/failover.sh $(CONFIG)
	tests/bench/smb-failover.sh $(CONFIG)

# Agents as an OCF root: DESTDIR/resource.d/ctdb/<agent>, for OCF_ROOT=DESTDIR.
ocf-root:
	agents/install-ocf-root.sh $(or $(DESTDIR),$(CURDIR)/artifacts/ocf-root) $(CONFIG)

# Main job: a 3-node Pacemaker cluster in namespaces running the daemon clone and two VIPs.
# (tests/pcmk-box builds what it runs: the agents and the daemon, published into an OCF root.)
demo: deps
	tests/demo up

demo-down:
	tests/demo down

clean:
	$(DOTNET) clean $(SLN) -c $(CONFIG) -nologo -v q
