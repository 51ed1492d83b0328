%% SPDX-License-Identifier: ISC
%% @doc The supervisor of the streams nook_stream:open/3 starts: each stream is a temporary
%% child here, so that observer shows them under the nook application (each one labelled
%% with its behaviour and command in its process dictionary, `$process_label').
%%
%% A stream builds its tree after its start returns: starts do not queue behind one another
%% in this process.
-module(nook_stream_sup).
-behaviour(supervisor).

-export([start_link/0, start_stream/1, init/1]).

%% How long a stream has to end its tree when the application stops.
-define(SHUTDOWN_MS, 5000).

%% @doc Start the supervisor, registered as nook_stream_sup (nook_sup does).
-spec start_link() -> {ok, pid()} | {error, term()}.
start_link() -> supervisor:start_link({local, ?MODULE}, ?MODULE, []).

%% @doc Start a stream process with gen_server's start_link arguments for nook_stream; the
%% application is started first if it is not running.
-spec start_stream(term()) -> {ok, pid()} | {error, term()}.
start_stream(Arg) ->
    case nook_app:ensure_started() of
        ok -> supervisor:start_child(?MODULE, [Arg, []]);
        {error, _} = Error -> Error
    end.

%% @private
-spec init([]) -> {ok, {supervisor:sup_flags(), [supervisor:child_spec()]}}.
init([]) ->
    Stream = #{id => nook_stream, start => {gen_server, start_link, [nook_stream]},
               restart => temporary, shutdown => ?SHUTDOWN_MS, type => worker,
               modules => [nook_stream]},
    {ok, {#{strategy => simple_one_for_one, intensity => 0, period => 1}, [Stream]}}.
