%% SPDX-License-Identifier: ISC
%% @doc cmd/2 and sh/2 of the nook API: run a program in a child of a task and return its
%% output once it has exited, as system(3) would: the task ignores SIGINT and SIGQUIT while
%% the program runs, and the program starts with the task's earlier dispositions.
-module(nook_cmd).

-export([cmd/2, sh/2]).

%% @doc Fork Task, exec Argv (found in $PATH) in the child and return what it wrote to
%% stdout and stderr, in the order it came, once it has exited.
-spec cmd(nook:task(), [iodata(), ...]) -> binary() | {error, nook:posix()}.
cmd(Task, [_ | _] = Argv) ->
    {ok, Int} = nook:sigaction(Task, sigint, sig_ign),
    {ok, Quit} = nook:sigaction(Task, sigquit, sig_ign),
    try nook:fork(Task) of
        {ok, Child} -> run(Child, Argv, Int, Quit);
        {error, _} = Error -> Error
    after
        restore(Task, Int, Quit)
    end;
cmd(Task, Argv) ->
    erlang:error(badarg, [Task, Argv]).

%% @doc cmd/2 of `/bin/sh -c Command'.
-spec sh(nook:task(), iodata()) -> binary() | {error, nook:posix()}.
sh(Task, Command) -> cmd(Task, ["/bin/sh", "-c", Command]).

run(Child, Argv, Int, Quit) ->
    {ok, _} = nook:sigaction(Child, sigint, Int),
    {ok, _} = nook:sigaction(Child, sigquit, Quit),
    %% Output read in pieces the caller re-arms would never all come: cmd reads it all.
    true = nook:setcpid(Child, flowcontrol, -1),
    Ref = monitor(process, Child),
    case nook:execvp(Child, Argv) of
        ok ->
            collect(Child, Ref, []);
        {error, _} = Error ->
            demonitor(Ref, [flush]),
            nook:stop(Child),
            Error
    end.

%% Output comes before the exit message, and every message of the task before its end: a
%% child stopped with its parent (no exit message then) ends the output too.
collect(Child, Ref, Acc) ->
    receive
        {stdout, Child, Bin} -> collect(Child, Ref, [Bin | Acc]);
        {stderr, Child, Bin} -> collect(Child, Ref, [Bin | Acc]);
        {exit_status, Child, _} -> done(Ref, Acc);
        {termsig, Child, _} -> done(Ref, Acc);
        {'DOWN', Ref, process, _, _} -> iolist_to_binary(lists:reverse(Acc))
    end.

done(Ref, Acc) ->
    demonitor(Ref, [flush]),
    iolist_to_binary(lists:reverse(Acc)).

%% The task may have ended meanwhile (its parent killed it): nothing is left to restore.
restore(Task, Int, Quit) ->
    try
        _ = nook:sigaction(Task, sigint, Int),
        _ = nook:sigaction(Task, sigquit, Quit),
        ok
    catch
        exit:_ -> ok
    end.
