// Pod objects (`kubectl get pod -o json|yaml`, a Pod or a List) read into
// PodStatus, and the timestamps Kubernetes prints. The `kubectl describe`
// text parser (describe.h) reads both forms through these.
#ifndef GOTRIAGE_PARSERS_POD_OBJECT_H_
#define GOTRIAGE_PARSERS_POD_OBJECT_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "parsers/model.h"

namespace gotriage {

/// Parses `Wed, 25 Dec 2024 08:44:16 +0800` (describe, RFC 1123 with a
/// numeric zone) and `2024-12-25T08:44:16Z` / `...+08:00` (RFC 3339) into
/// seconds since the epoch. False when \a s is neither.
bool ParseK8sTime(std::string_view s, int64_t* epoch);

/// Parses a whole `kubectl get pod -o json|yaml` document (a Pod or a List)
/// and appends its pods. False when \a text is not such a document.
bool ParsePodDocument(std::string_view text, bool yaml, std::vector<PodStatus>* pods);

/// Sets last_uptime_seconds from last_started/last_finished when both parse.
void ComputeUptime(ContainerStatus* c);

/// A count as Kubernetes prints it (`3`, ` -1 `); \a fallback when it is not
/// one or is over a billion.
int K8sInt(std::string_view s, int fallback = -1);

}  // namespace gotriage

#endif  // GOTRIAGE_PARSERS_POD_OBJECT_H_
