// Kubernetes Event objects as `kubectl get events -o json` prints them (an
// EventList or one Event; core/v1 and events.k8s.io/v1 field names): attached
// to the pods they are about, which the same input listed before them.
#ifndef GOTRIAGE_PARSERS_K8S_EVENTS_H_
#define GOTRIAGE_PARSERS_K8S_EVENTS_H_

#include <string_view>
#include <vector>

#include "parsers/model.h"

namespace gotriage {

/// Parses a JSON event document and appends each event about a pod to that
/// pod's events (matched by name, and namespace when both have one). True
/// when \a text is an Event or EventList document, whether or not a pod
/// matched; events about pods not in \a pods are counted in \a unmatched.
bool AttachEventDocument(std::string_view text, std::vector<PodStatus>* pods, size_t* unmatched);

}  // namespace gotriage

#endif  // GOTRIAGE_PARSERS_K8S_EVENTS_H_
