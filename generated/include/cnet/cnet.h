/* generated from spec/async.yaml, spec/core.yaml, spec/errors.yaml, spec/ipaddr.yaml, spec/nativesockets.yaml, spec/net.yaml, spec/platforms.yaml, spec/tls.yaml by codegen/templates/cnet.h.j2 - do not edit; regenerate with `make regen` */
/**
 * cnet: Nim's nativesockets and net modules for C. Include this header to get
 * the whole public API.
 *
 * [zh] cnet：把 Nim 的 nativesockets 与 net 模块带到 C。包含此头文件即可使用全部公开 API。
 */
#ifndef CNET_CNET_H
#define CNET_CNET_H

#include <cnet/platform.h>
#include <cnet/errors.h>
#include <cnet/async.h>
#include <cnet/core.h>
#include <cnet/ipaddr.h>
#include <cnet/nativesockets.h>
#include <cnet/net.h>
#include <cnet/tls.h>

#endif /* CNET_CNET_H */
