// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Transport;

/// <summary>Something registered with the <see cref="EventLoop"/> for readiness events of one descriptor.</summary>
internal interface IEventHandler
{
    /// <summary>Called on the loop thread with the epoll event bits.</summary>
    void OnEvents(uint events);
}
