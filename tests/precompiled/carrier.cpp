// The translation unit that compiles a precompiled header for the test
// targets to reuse (tests/CMakeLists.txt); it has nothing of its own.
