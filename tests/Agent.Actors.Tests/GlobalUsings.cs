global using Agent.Actors.Kernel;
global using Agent.TestKit;
global using Xunit;
global using Xunit.Abstractions;
global using ActorTestKit = Agent.TestKit.TestKit;
global using System.Runtime.CompilerServices;
