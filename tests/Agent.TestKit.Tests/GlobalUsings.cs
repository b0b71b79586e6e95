global using Agent.Actors.Kernel;
global using Xunit;
global using Xunit.Abstractions;
