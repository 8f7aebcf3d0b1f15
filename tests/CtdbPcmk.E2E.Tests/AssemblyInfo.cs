// SPDX-License-Identifier: GPL-3.0-or-later

// Each test class brings up its own 3-node cluster; two at once would compete for the CPUs and
// distort the failover timings the tests check.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
