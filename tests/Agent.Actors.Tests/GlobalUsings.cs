global using Agent.TestSupport;
global using Akka.Actor;
global using Akka.TestKit;
global using Xunit;
global using Xunit.Abstractions;
