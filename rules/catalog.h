// Factories of every rule in the catalog, one per rule file. Only
// rules/catalog.cc calls them.
#ifndef GOTRIAGE_RULES_CATALOG_H_
#define GOTRIAGE_RULES_CATALOG_H_

#include <memory>

#include "rules/rule.h"

namespace gotriage {

// GT1xxx: crashes.
std::unique_ptr<Rule> NewGT1001();  // concurrent map access
std::unique_ptr<Rule> NewGT1002();  // data race
std::unique_ptr<Rule> NewGT1003();  // nil dereference
std::unique_ptr<Rule> NewGT1004();  // index/slice out of range
std::unique_ptr<Rule> NewGT1005();  // nil map write
std::unique_ptr<Rule> NewGT1006();  // closed channel
std::unique_ptr<Rule> NewGT1007();  // WaitGroup misuse
std::unique_ptr<Rule> NewGT1008();  // mutex misuse
std::unique_ptr<Rule> NewGT1009();  // stack overflow
std::unique_ptr<Rule> NewGT1010();  // out of memory
std::unique_ptr<Rule> NewGT1011();  // other / custom panic
// GT2xxx: hangs and leaks.
std::unique_ptr<Rule> NewGT2001();  // deadlock
std::unique_ptr<Rule> NewGT2002();  // lock held across channel op
std::unique_ptr<Rule> NewGT2003();  // goroutine leak
std::unique_ptr<Rule> NewGT2004();  // missing HTTP timeout
std::unique_ptr<Rule> NewGT2005();  // worker-pool exhaustion
std::unique_ptr<Rule> NewGT2006();  // timer misuse
std::unique_ptr<Rule> NewGT2007();  // go test timeout
std::unique_ptr<Rule> NewGT2008();  // GC pressure (profiles)
// GT3xxx: Kubernetes and process lifecycle.
std::unique_ptr<Rule> NewGT3001();  // OOM-killed
std::unique_ptr<Rule> NewGT3002();  // liveness probe kill
std::unique_ptr<Rule> NewGT3003();  // crash loop
std::unique_ptr<Rule> NewGT3004();  // exit code

}  // namespace gotriage

#endif  // GOTRIAGE_RULES_CATALOG_H_
