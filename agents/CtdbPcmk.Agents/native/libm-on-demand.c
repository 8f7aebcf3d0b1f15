/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The few libm functions the agents' binary refers to, resolved from libm on first use.
 *
 * Parts of the runtime (the thread pool among them) refer to them, but a monitor, probe or
 * meta-data action calls none of them. Linked against libm directly, every action would pay
 * for loading and relocating a second shared library at start (about 0.4 ms of a vip monitor
 * here). Here the executable needs only libc; libm is opened the first time one of these runs.
 * The link has no -lm, so code that comes to use another libm function fails to link with
 * "undefined reference": add that function below.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

static void *resolve(const char *name)
{
    static void *libm;
    void *handle = __atomic_load_n(&libm, __ATOMIC_ACQUIRE);
    if (handle == NULL) {
        handle = dlopen("libm.so.6", RTLD_NOW | RTLD_LOCAL);
        if (handle == NULL) {
            fprintf(stderr, "ctdb-ocf: cannot load libm.so.6: %s\n", dlerror());
            abort();
        }
        /* dlopen counts references, so a second thread's handle is the same library. */
        __atomic_store_n(&libm, handle, __ATOMIC_RELEASE);
    }
    void *symbol = dlsym(handle, name);
    if (symbol == NULL) {
        fprintf(stderr, "ctdb-ocf: libm.so.6 has no %s\n", name);
        abort();
    }
    return symbol;
}

#define ON_DEMAND(ret, name, params, args)                                      \
    ret name params                                                             \
    {                                                                           \
        static ret (*target) params;                                            \
        ret (*f) params = __atomic_load_n(&target, __ATOMIC_ACQUIRE);           \
        if (f == NULL) {                                                        \
            f = (ret (*) params)resolve(#name);                                 \
            __atomic_store_n(&target, f, __ATOMIC_RELEASE);                     \
        }                                                                       \
        return f args;                                                          \
    }

ON_DEMAND(double, ceil, (double x), (x))
ON_DEMAND(double, floor, (double x), (x))
ON_DEMAND(double, cos, (double x), (x))
ON_DEMAND(double, sin, (double x), (x))
ON_DEMAND(double, pow, (double x, double y), (x, y))
ON_DEMAND(double, modf, (double x, double *integral), (x, integral))
