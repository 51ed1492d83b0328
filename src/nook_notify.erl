%% SPDX-License-Identifier: ISC
%% @doc Calls of a program decided in Erlang, while it runs (seccomp user notification,
%% seccomp_unotify(2)). Every behaviour takes the options:
%% ```
%% {notify, #{socket => fun(#{args := [Domain | _]}) when Domain =:= 1 -> allow;
%%                         (_) -> {errno, eacces}
%%                      end,
%%            [kill, tgkill] => {my_policy, signal}}},
%% {audit, [execve, connect]},
%% {notify_timeout, 1000}, {notify_default, {errno, eperm}}
%% '''
%% A call named in `notify' waits until its handler, a fun or `{Module, Function}' of one
%% argument, returns `allow' (the call runs) or `{errno, Posix}' (it fails with that error).
%% The handler gets `#{syscall, args, pid, task, id, arch}': the six arguments as unsigned
%% integers, the caller's pid as its parent nook process sees it (inside a container: the
%% container's numbering), the task the filter was loaded in; and, for calls that take a
%% path (execve, open, openat, unlink, mkdir, rename, ...), `path', what it pointed to, or
%% for connect, bind and sendto `addr' (`{inet, {A, B, C, D}, Port}', `{inet6, Addr, Port}',
%% `{unix, Path}' or `{Family, Bytes}').
%%
%% A call named in `audit' is allowed at once and reported: nook_stream gives it as the
%% event `{audit, Info}' (the map a handler gets) before the output that follows it; a raw
%% task sends `{audit, Task, Info}' to its stdio process. A call in both is the handler's.
%%
%% What is sound to decide on: scalar arguments (a socket's domain and type, a signal, an
%% ioctl request, clone flags), which the kernel gives as the call made them. What a pointer
%% argument points to (a path, an address) is read from the caller's memory, which the
%% caller (or another of its threads) may change after the read and before the kernel does:
%% it is for audit and reporting, never for a security decision. Deny by other means
%% (Landlock, a seccomp policy, mounts) what must stay denied.
%%
%% How it works: the filter (`notify' for the calls named, `allow' for the rest) is loaded
%% in the task that execs, with a listener; the listener goes over the control socket
%% (SCM_RIGHTS) to the parent nook process, the supervisor side, and is closed in the task,
%% so that the program never holds it; the parent relays each notification up as an event;
%% the task's Erlang process passes it to this module's server, which runs each handler in
%% a process of its own (a slow handler stalls neither output nor other calls) and answers
%% through the parent. An answer that does not come within `notify_timeout' ms (1000;
%% `infinity' waits) is `notify_default' (`{errno, eperm}'), and the handler is killed; a
%% handler that crashes or returns anything else answers `{errno, eperm}' (and is logged).
%% Stacked with a seccomp policy, the stricter action wins: the policy's errno or kill comes
%% before any notification. The filter is loaded after Landlock and before the seccomp
%% policy; nook's own calls after it (replies, the policy's load, execve) are notified too
%% when named. `sendmsg' cannot be named: handing the listener over is a sendmsg, which
%% such a filter would make wait for itself. The kernel allows one such filter for a process
%% and its descendants: a start under a task that has one fails with `{notify, ebusy}'.
-module(nook_notify).
-behaviour(gen_server).

-export([start/3, ops/1, arm/3, options/0, pending/1]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2, terminate/2]).

-export_type([handler/0, verdict/0, notification/0]).

-type handler() :: fun((notification()) -> verdict()) | {module(), atom()}.
-type verdict() :: allow | {errno, nook:posix() | 1..4095}.
-type notification() :: #{syscall := atom() | integer(), args := [non_neg_integer()],
                          pid := nook:pid_t(), task := nook:task(), id := non_neg_integer(),
                          arch := atom() | integer(), path => binary(), addr => term()}.
-type opts() :: #{audit => [atom()], timeout => pos_integer() | infinity,
                  default => verdict()}.

-define(TIMEOUT_MS, 1000).
-define(DEFAULT, {errno, eperm}).
-define(CRASHED, {errno, eperm}).
%% Handing the listener over is a sendmsg: a filter that notified it would wait for itself.
-define(UNNOTIFIABLE, [sendmsg]).

-record(st, {
    task :: nook:task(),
    task_ref :: reference(),
    handlers :: #{atom() => handler()},
    audit :: [atom()],
    timeout :: pos_integer() | infinity,
    default :: verdict(),
    %% handler processes still deciding: monitor => {notification id, timer, pid, syscall}
    pending = #{} :: #{reference() => {non_neg_integer(), reference() | undefined, pid(), term()}}
}).

%% ---- starting ----

%% @doc The options every behaviour takes (nook_process:common_options/0).
-spec options() -> nook_options:spec().
options() ->
    [{notify, fun valid_handlers/1}, {audit, fun valid_syscalls/1},
     {notify_timeout, {integer, 1, infinity}}, {notify_default, fun valid_verdict/1}].

%% @doc The op that arms Config's `notify' and `audit', if it has either. (A behaviour that
%% checks no options may pass anything: start/3 judges it, and the start fails with
%% `{notify, {badarg, _}}'.)
-spec ops(nook_behaviour:config()) -> [nook_op:op()].
ops(Config) ->
    Handlers = proplists:get_value(notify, Config, #{}),
    Audit = proplists:get_value(audit, Config, []),
    case Handlers =:= #{} andalso Audit =:= [] of
        true ->
            [];
        false ->
            Opts = #{audit => Audit,
                     timeout => proplists:get_value(notify_timeout, Config, ?TIMEOUT_MS),
                     default => proplists:get_value(notify_default, Config, ?DEFAULT)},
            [{?MODULE, arm, [Handlers, Opts]}]
    end.

%% @doc start/3 as an op: ok, or `{error, {notify, Reason}}'.
-spec arm(nook:task(), #{atom() | [atom()] => handler()}, opts()) -> ok | {error, term()}.
arm(Task, Handlers, Opts) ->
    case start(Task, Handlers, Opts) of
        {ok, _Server} -> ok;
        {error, Reason} -> {error, {notify, Reason}}
    end.

%% @doc Decide the calls Handlers names, and report those of `audit', for Task's process and
%% everything it starts (Task in call mode, owned by the caller, with no_new_privs or
%% CAP_SYS_ADMIN): the filter is compiled and loaded with its listener, and the server that
%% answers is started, unlinked; it ends with Task. Opts: `audit', `timeout' (ms), `default'.
-spec start(nook:task(), #{atom() | [atom()] => handler()}, opts()) ->
    {ok, pid()} | {error, term()}.
start(Task, Handlers, Opts) ->
    Audit = maps:get(audit, Opts, []),
    Timeout = maps:get(timeout, Opts, ?TIMEOUT_MS),
    Default = maps:get(default, Opts, ?DEFAULT),
    case {valid_handlers(Handlers), valid_syscalls(Audit), valid_verdict(Default),
          Timeout =:= infinity orelse is_integer(Timeout) andalso Timeout > 0} of
        {true, true, true, true} ->
            ByName = by_name(Handlers),
            Policy = #{default => allow,
                       rules => [{notify, lists:usort(maps:keys(ByName) ++ Audit)}]},
            case nook_seccomp:compiled(Task, Policy) of
                {ok, BPF} ->
                    Init = {Task, ByName, Audit -- maps:keys(ByName), Timeout, Default},
                    {ok, Server} = gen_server:start(?MODULE, Init, []),
                    ok = nook_task:request(Task, {notify, Server}),
                    case nook:seccomp_load_notify(Task, BPF) of
                        ok -> {ok, Server};
                        {error, _} = Error -> gen_server:stop(Server), Error
                    end;
                {error, _} = Error ->
                    Error
            end;
        _ ->
            {error, {badarg, {Handlers, Opts}}}
    end.

%% @doc How many notifications the server has not answered yet.
-spec pending(pid()) -> non_neg_integer().
pending(Server) -> gen_server:call(Server, pending, infinity).

valid_handlers(Handlers) when is_map(Handlers) ->
    lists:all(fun({Names, Handler}) -> valid_syscalls(names(Names)) andalso handler(Handler) end,
              maps:to_list(Handlers));
valid_handlers(_) ->
    false.

names(Name) when is_atom(Name) -> [Name];
names(Names) -> Names.

valid_syscalls(Names) when is_list(Names) ->
    try lists:all(fun(N) -> is_atom(N) andalso not lists:member(N, ?UNNOTIFIABLE) end, Names)
    catch error:_ -> false % an improper list
    end;
valid_syscalls(_) ->
    false.

handler(Fun) when is_function(Fun, 1) -> true;
handler({M, F}) -> is_atom(M) andalso is_atom(F);
handler(_) -> false.

valid_verdict(allow) -> true;
valid_verdict({errno, E}) when is_integer(E) -> E >= 1 andalso E =< 4095;
valid_verdict({errno, E}) when is_atom(E) -> true;
valid_verdict(_) -> false.

by_name(Handlers) ->
    maps:from_list([{Name, H} || {Names, H} <- maps:to_list(Handlers), Name <- names(Names)]).

%% ---- the server ----

%% @private
-spec init({nook:task(), map(), [atom()], timeout(), verdict()}) -> {ok, #st{}}.
init({Task, Handlers, Audit, Timeout, Default}) ->
    {ok, #st{task = Task, task_ref = monitor(process, Task), handlers = Handlers,
             audit = Audit, timeout = Timeout, default = Default}}.

%% @private
-spec handle_call(pending, gen_server:from(), #st{}) -> {reply, non_neg_integer(), #st{}}.
handle_call(pending, _From, St) ->
    {reply, map_size(St#st.pending), St}.

%% @private
-spec handle_cast(term(), #st{}) -> {noreply, #st{}}.
handle_cast(_Msg, St) ->
    {noreply, St}.

%% @private
-spec handle_info(term(), #st{}) -> {noreply, #st{}} | {stop, normal, #st{}}.
handle_info({seccomp_notify, Task, #{id := Id, syscall := Syscall} = N}, #st{task = Task} = St) ->
    Info = info(N, Task),
    case maps:find(Syscall, St#st.handlers) of
        {ok, Handler} ->
            {noreply, decide(Handler, Info, St)};
        error ->
            case lists:member(Syscall, St#st.audit) of
                true ->
                    gen_statem:cast(Task, {audit, Info}),
                    answer(St, Id, allow);
                false ->
                    answer(St, Id, St#st.default) % another filter's call: not ours to allow
            end,
            {noreply, St}
    end;
handle_info({'DOWN', Ref, process, _, Reason}, #st{pending = P} = St) when is_map_key(Ref, P) ->
    {{Id, Timer, _Pid, Syscall}, Rest} = maps:take(Ref, P),
    cancel(Timer),
    answer(St, Id, verdict(Syscall, Reason)),
    {noreply, St#st{pending = Rest}};
handle_info({timeout, _, Ref}, #st{pending = P} = St) when is_map_key(Ref, P) ->
    {{Id, _, Pid, _}, Rest} = maps:take(Ref, P),
    demonitor(Ref, [flush]),
    exit(Pid, kill),
    answer(St, Id, St#st.default),
    {noreply, St#st{pending = Rest}};
handle_info({'DOWN', Ref, process, _, _}, #st{task_ref = Ref} = St) ->
    {stop, normal, St};
handle_info(_Other, St) ->
    {noreply, St}.

%% @private
-spec terminate(term(), #st{}) -> ok.
terminate(_Reason, #st{pending = P}) ->
    _ = [exit(Pid, kill) || {_, _, Pid, _} <- maps:values(P)],
    ok.

%% A handler in a process of its own, its verdict in its exit reason (which dialyzer takes
%% for a fun that only fails).
-dialyzer({nowarn_function, decide/3}).
decide(Handler, Info, #st{timeout = Timeout, pending = P} = St) ->
    {Pid, Ref} = spawn_monitor(fun() -> exit(run(Handler, Info)) end),
    Timer = case Timeout of
                infinity -> undefined;
                _ -> erlang:start_timer(Timeout, self(), Ref)
            end,
    #{id := Id, syscall := Syscall} = Info,
    St#st{pending = P#{Ref => {Id, Timer, Pid, Syscall}}}.

run(Handler, Info) ->
    try call(Handler, Info) of
        Verdict -> {?MODULE, verdict, Verdict}
    catch
        Class:Reason:Stack -> {?MODULE, crashed, {Class, Reason, Stack}}
    end.

call({M, F}, Info) -> M:F(Info);
call(Fun, Info) -> Fun(Info).

verdict(Syscall, {?MODULE, verdict, Verdict}) ->
    case valid_verdict(Verdict) of
        true ->
            Verdict;
        false ->
            logger:warning("nook_notify: the handler of ~p returned ~0p, not allow or "
                           "{errno, Posix}: the call fails with eperm", [Syscall, Verdict]),
            ?CRASHED
    end;
verdict(Syscall, {?MODULE, crashed, {Class, Reason, Stack}}) ->
    logger:warning("nook_notify: the handler of ~p crashed, the call fails with eperm: ~0p",
                   [Syscall, {Class, Reason, Stack}]),
    ?CRASHED;
verdict(_Syscall, _Killed) ->
    ?CRASHED.

answer(#st{task = Task}, Id, Verdict) ->
    nook_task:cast_via_parent(Task, seccomp_notif_send, [Id, Verdict]).

cancel(undefined) -> ok;
cancel(Timer) -> _ = erlang:cancel_timer(Timer), ok.

%% What a handler and an audit event get: the notification, its pointer argument read.
info(#{syscall := Syscall, mem := {_Arg, Bytes}} = N, Task) ->
    Base = (maps:remove(mem, N))#{task => Task},
    case lists:member(Syscall, [connect, bind, sendto]) of
        true -> Base#{addr => sockaddr(Bytes)};
        false -> Base#{path => Bytes}
    end;
info(N, Task) ->
    N#{task => Task}.

%% struct sockaddr_in, sockaddr_in6, sockaddr_un by their family (AF_INET 2, AF_INET6 10,
%% AF_UNIX 1: Linux's numbers).
sockaddr(<<2:16/native, Port:16, A, B, C, D, _/binary>>) ->
    {inet, {A, B, C, D}, Port};
sockaddr(<<10:16/native, Port:16, _Flow:32, Addr:16/binary, _/binary>>) ->
    {inet6, list_to_tuple([W || <<W:16>> <= Addr]), Port};
sockaddr(<<1:16/native, Path/binary>>) ->
    %% An abstract name starts with a NUL and has none after it to end it.
    case Path of
        <<0, _/binary>> -> {unix, Path};
        _ -> {unix, hd(binary:split(Path, <<0>>))}
    end;
sockaddr(<<Family:16/native, Rest/binary>>) ->
    {Family, Rest};
sockaddr(Bytes) ->
    {unknown, Bytes}.
