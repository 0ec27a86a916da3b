using Microsoft.VisualStudio.TestTools.UnitTesting;

// Latencies and outages are measured on a 2-core machine; tests running beside them would measure each other.
[assembly: DoNotParallelize]
