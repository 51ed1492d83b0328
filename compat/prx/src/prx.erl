%% SPDX-License-Identifier: ISC
%% @doc prx on nook: every function and type nook exports, under the module name prx code
%% calls. Written at compile time by prx_forward from nook's exports, so that it cannot fall
%% behind them.
-module(prx).
-compile({parse_transform, prx_forward}).
-prx_forward({module, nook}).
