// Key buffers are stackalloc'd on every hit; zeroing them would cost more than formatting the key.
[module: System.Runtime.CompilerServices.SkipLocalsInit]
