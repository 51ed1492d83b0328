%% SPDX-License-Identifier: ISC
%% @doc The nook application: started on demand by the first port (nook:fork/0 and every
%% behaviour), or by `application:ensure_all_started(nook)'.
-module(nook_app).
-behaviour(application).

-export([start/2, stop/1, ensure_started/0]).

-spec start(application:start_type(), term()) -> {ok, pid()} | {error, term()}.
start(_Type, _Args) -> nook_sup:start_link().

-spec stop(term()) -> ok.
stop(_State) -> ok.

%% @doc Start the application unless it runs: cheap when it does (no call to the
%% application controller).
-spec ensure_started() -> ok | {error, term()}.
ensure_started() ->
    case nook_registry:ready() of
        true ->
            ok;
        false ->
            case application:ensure_all_started(nook) of
                {ok, _} -> ok;
                {error, _} = Error -> Error
            end
    end.
