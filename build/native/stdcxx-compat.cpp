// GCC 13's libstdc++ exports std::ios_base_library_init() (GLIBCXX_3.4.32) to run the iostream static
// initialiser; GCC 12's runs it from its own constructor. Code built with GCC 13 calls it, so this does what it expects.
#include <ios>
namespace std {
void ios_base_library_init() { static ios_base::Init init; }
}
