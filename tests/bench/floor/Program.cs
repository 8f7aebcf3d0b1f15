// SPDX-License-Identifier: GPL-3.0-or-later
// Starts the runtime and exits: nothing else.
return 0;
