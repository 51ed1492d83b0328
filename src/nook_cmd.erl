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
    case ignore(Task) of
        {ok, Int, Quit} ->
            try nook:fork(Task) of
                {ok, Child} -> run(Child, Argv, Int, Quit);
                {error, _} = Error -> Error
            after
                restore(Task, [{sigint, Int}, {sigquit, Quit}])
            end;
        {error, _} = Error ->
            Error
    end;
cmd(Task, Argv) ->
    erlang:error(badarg, [Task, Argv]).

%% @doc cmd/2 of `/bin/sh -c Command'.
-spec sh(nook:task(), iodata()) -> binary() | {error, nook:posix()}.
sh(Task, Command) -> cmd(Task, ["/bin/sh", "-c", Command]).

%% SIGINT and SIGQUIT ignored by Task for the while, as system(3) does: their dispositions
%% before. Plain calls, not nook:sigaction/3, which would end a `{sig_info, Fun}' the task
%% has that restoring `sig_info' could not bring back.
ignore(Task) ->
    case sigaction(Task, sigint, sig_ign) of
        {ok, Int} ->
            case sigaction(Task, sigquit, sig_ign) of
                {ok, Quit} -> {ok, Int, Quit};
                {error, _} = Error -> restore(Task, [{sigint, Int}]), Error
            end;
        {error, _} = Error ->
            Error
    end.

%% The child made ready and exec'd; a child that cannot be (a call refused, or raising as a
%% filtered one does) is stopped, never left behind.
run(Child, Argv, Int, Quit) ->
    Ref = monitor(process, Child),
    try exec(Child, Argv, Int, Quit) of
        ok ->
            collect(Child, Ref, []);
        {error, _} = Failed ->
            demonitor(Ref, [flush]),
            nook:stop(Child),
            Failed
    catch
        Class:Reason:Stack ->
            demonitor(Ref, [flush]),
            nook:stop(Child),
            erlang:raise(Class, Reason, Stack)
    end.

exec(Child, Argv, Int, Quit) ->
    Ready = [sigaction(Child, sigint, Int), sigaction(Child, sigquit, Quit),
             %% Output read in pieces the caller re-arms would never all come: cmd reads it all.
             nook:setcpid(Child, flowcontrol, -1)],
    case [E || {error, _} = E <- Ready] of
        [] -> nook:execvp(Child, Argv);
        [Error | _] -> Error
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

sigaction(Task, Sig, Disposition) -> nook:call(Task, sigaction, [Sig, Disposition]).

%% The task may have ended meanwhile (its parent killed it): nothing is left to restore.
restore(Task, Dispositions) ->
    try
        _ = [sigaction(Task, Sig, Disposition) || {Sig, Disposition} <- Dispositions],
        ok
    catch
        exit:_ -> ok
    end.
